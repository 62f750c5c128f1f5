-- Per street in the caller's scope: its communities and grids, and the grids' counts of houses,
-- persons and enterprises (grid_stats).
SELECT st.code, st.name,
       count(g.code) AS grids,
       coalesce(sum(s.house_count), 0) AS houses,
       coalesce(sum(s.person_count), 0) AS persons,
       coalesce(sum(s.enterprise_count), 0) AS enterprises,
       (SELECT count(*) FROM admin_area c WHERE c.parent_code = st.code) AS communities
FROM admin_area st
LEFT JOIN grid g ON g.street_code = st.code
LEFT JOIN grid_stats s ON s.grid_code = g.code
WHERE st.level = 'street'
GROUP BY st.code, st.name
ORDER BY st.code
