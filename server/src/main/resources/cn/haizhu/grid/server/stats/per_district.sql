-- Per district of a city node, in the caller's scope: its streets, communities and grids, and the
-- grids' counts of houses, persons and enterprises (grid_stats). A district whose records have not
-- come by sync yet has zeros.
SELECT d.code, d.name,
       count(g.code) AS grids,
       coalesce(sum(s.house_count), 0) AS houses,
       coalesce(sum(s.person_count), 0) AS persons,
       coalesce(sum(s.enterprise_count), 0) AS enterprises,
       (SELECT count(*) FROM admin_area st WHERE st.level = 'street' AND st.parent_code = d.code) AS streets,
       (SELECT count(*) FROM admin_area c WHERE c.level = 'community' AND left(c.code, 6) = d.code) AS communities
FROM admin_area d
LEFT JOIN grid g ON left(g.street_code, 6) = d.code
LEFT JOIN grid_stats s ON s.grid_code = g.code
WHERE d.level = 'district'
GROUP BY d.code, d.name
ORDER BY d.code
