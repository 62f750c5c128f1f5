-- One house for the wall's detail panel: where it is, what it is, how many live there.
SELECT h.code, h.address, h.building, h.unit, h.floor, h.room, h.use,
       ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
       h.grid_code, g.name AS grid_name, h.community_code, c.name AS community_name,
       h.street_code, s.name AS street_name, h.updated_at,
       (SELECT count(*) FROM person p WHERE p.house_code = h.code) AS residents
FROM house h
LEFT JOIN grid g ON g.code = h.grid_code
LEFT JOIN admin_area c ON c.code = h.community_code
LEFT JOIN admin_area s ON s.code = h.street_code
WHERE h.code = $1
