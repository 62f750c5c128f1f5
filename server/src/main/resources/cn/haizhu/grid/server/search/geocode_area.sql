-- A street (街道) or community (社区) the address names: $1 the address (normalised), $2 it as a LIKE
-- pattern (%text%). An area is named when the address holds its name, with or without 街道/社区 (a name of
-- two characters or more), or when its name holds the address. The longest name first (a community is
-- named more precisely than its street); a point on its surface. Row-level security: the caller's areas.
SELECT a.name, a.level, ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat
FROM admin_area a
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(a.geom) AS pt) p
CROSS JOIN LATERAL (SELECT regexp_replace(a.name, '(街道|街道办事处|社区|社区居委会|居委会)$', '') AS short) s
WHERE a.level IN ('street', 'community')
  AND (strpos($1, a.name) > 0 OR (length(s.short) >= 2 AND strpos($1, s.short) > 0) OR a.name LIKE $2)
ORDER BY length(a.name) DESC, a.code
LIMIT 1
