-- A city node's area tree from the reference outlines (guangzhou-districts.geojson, docs/DOMAIN.md):
-- the districts of the city under it, and the city, whose outline is their union. Parameters: the
-- GeoJSON FeatureCollection, the city code, its name. Only features whose code lies in the city are
-- taken; every gid is gridctl_area_gid(code), as at the district that owns the area. Existing rows
-- are kept: a district's outline that came by sync is the owner's and wins over the reference one.
-- A district's outline is a copy of the district's record, not an edit made here: it carries the
-- district's code as its origin and version 0, below any version the district makes, so that the
-- district's own outline replaces it at the first sync (the same version would keep the reference
-- polygon, which differs from the district's by a few centimetres; an origin of this city would make
-- it an edit request, a conflict waiting at the district).
WITH arg AS (
    SELECT ?::json AS doc, ?::text AS city, ?::text AS city_name
), feature AS (
    SELECT f -> 'properties' ->> 'code' AS code, f -> 'properties' ->> 'name' AS name,
           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326)), 3)) AS geom
    FROM arg, json_array_elements(arg.doc -> 'features') f
), district AS (
    SELECT feature.* FROM feature, arg
    WHERE code ~ '^\d{6}$' AND left(code, 4) = left(arg.city, 4) AND right(code, 2) <> '00'
), city AS (
    INSERT INTO admin_area (code, level, name, parent_code, street_code, geom, gid)
    SELECT arg.city, 'city', arg.city_name, NULL, NULL,
           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(d.geom)), 3)), gridctl_area_gid(arg.city)
    FROM district d, arg
    GROUP BY arg.city, arg.city_name
    ON CONFLICT (code) DO NOTHING
    RETURNING code
)
INSERT INTO admin_area (code, level, name, parent_code, street_code, geom, gid, version, origin)
SELECT d.code, 'district', d.name, arg.city, NULL, d.geom, gridctl_area_gid(d.code), 0, d.code
FROM district d, arg
ON CONFLICT (code) DO NOTHING
