-- Communities (社区) in the reader's scope: the fields of ExportCollection.COMMUNITIES, then the geometry as WKB.
-- Parameters: the street asked for, twice ('' = every street). Exporter appends "AND (filter)".
SELECT a.code, a.name, a.street_code, a.area_m2, ST_AsBinary(a.geom, 'NDR') AS geom
FROM admin_area a
WHERE a.level = 'community'
  AND (CAST(? AS text) = '' OR a.street_code = ?)
