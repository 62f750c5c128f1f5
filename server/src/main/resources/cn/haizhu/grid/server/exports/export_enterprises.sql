-- Enterprises (企业) in the reader's scope: the fields of ExportCollection.ENTERPRISES (the importer's
-- field names), then the point as WKB. legal_person is shown as the detail panel shows it (places/).
-- Parameters: the street asked for, twice ('' = every street). Exporter appends "AND (filter)".
SELECT e.credit_code, e.name, e.industry, e.legal_person, e.address,
       e.grid_code, e.community_code, e.street_code, ST_AsBinary(e.geom, 'NDR') AS geom
FROM enterprise e
WHERE (CAST(? AS text) = '' OR e.street_code = ?)
