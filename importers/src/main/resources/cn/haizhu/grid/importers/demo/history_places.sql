CREATE TEMP TABLE history_place ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY h.code) AS rn, h.geom, h.address, h.grid_code, h.community_code,
       h.street_code, w.worker_id
FROM house h
LEFT JOIN (SELECT DISTINCT ON (wg.grid_code) wg.grid_code, wg.worker_id
           FROM grid_worker_grid wg JOIN grid_worker gw ON gw.id = wg.worker_id AND gw.active
           ORDER BY wg.grid_code, wg.worker_id) w ON w.grid_code = h.grid_code
WHERE abs(hashtext(h.code)) % 20 = 0
