-- Unit grids (单元网格) in the reader's scope: the fields of ExportCollection.GRIDS, then the geometry as WKB.
-- Parameters: the street asked for, twice ('' = every street). Exporter appends "AND (filter)".
SELECT g.code, g.name, g.community_code, g.street_code, g.area_m2, ST_AsBinary(g.geom, 'NDR') AS geom
FROM grid g
WHERE (CAST(? AS text) = '' OR g.street_code = ?)
