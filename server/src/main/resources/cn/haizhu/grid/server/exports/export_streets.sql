-- Streets (街道) in the reader's scope: the fields of ExportCollection.STREETS, then the geometry as WKB.
-- Parameters: the street asked for, twice ('' = every street). Exporter appends "AND (filter)".
SELECT a.code, a.name, a.area_m2, ST_AsBinary(a.geom, 'NDR') AS geom
FROM admin_area a
WHERE a.level = 'street'
  AND (CAST(? AS text) = '' OR a.street_code = ?)
