-- Up to 40 houses of each tablet grid: where the cases for that tablet are reported.
SELECT grid_code, lon, lat FROM (
    SELECT h.grid_code, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
           row_number() OVER (PARTITION BY h.grid_code ORDER BY h.code) AS k
    FROM house h WHERE h.grid_code = ANY (?)
) x WHERE k <= 40
