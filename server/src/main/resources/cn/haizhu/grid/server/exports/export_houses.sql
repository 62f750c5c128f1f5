-- Houses (房屋) in the reader's scope: the fields of ExportCollection.HOUSES (the importer's field
-- names, so an export imports again unchanged), then the point as WKB. No ORDER BY: the table is read
-- in its physical order, as fast as PostgreSQL can send it.
-- Parameters: the street asked for, twice ('' = every street). Exporter appends "AND (filter)".
SELECT h.code AS house_code, h.address, h.building, h.unit, h.floor, h.room, h.use,
       h.grid_code, h.community_code, h.street_code, ST_AsBinary(h.geom, 'NDR') AS geom
FROM house h
WHERE (CAST(? AS text) = '' OR h.street_code = ?)
