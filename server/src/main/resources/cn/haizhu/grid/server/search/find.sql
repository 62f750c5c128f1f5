-- The search box: streets and communities by name, grids by code or name, enterprises by name or credit
-- code, houses by address or code; each kind paged by its key, one row more than a page to tell there is more.
-- $1: the LIKE pattern (%q%, wildcards escaped), $2: q itself, $3: houses and enterprises too,
-- $4: q upper-cased (credit codes are written in capitals), $5: rows per kind (one more than a page),
-- $6: the prefix pattern (q%), $7: the one kind asked for ('' = all), $8: the cursor's key ('' = first page),
-- $9: q is long enough for a substring search of the big tables, $10: the most houses (enterprises) looked at.
SELECT * FROM (
(SELECT 'area' AS kind, a.level AS sub_kind, a.code, a.name, NULL::text AS detail,
        ST_X(ST_PointOnSurface(a.geom)) AS lon, ST_Y(ST_PointOnSurface(a.geom)) AS lat,
        ST_XMin(a.geom) AS w, ST_YMin(a.geom) AS s, ST_XMax(a.geom) AS e, ST_YMax(a.geom) AS n, 0 AS rank
 FROM admin_area a
 WHERE $7 IN ('', 'area') AND a.level IN ('street', 'community') AND a.name LIKE $1
   AND (length(a.code), a.code) > (length($8), $8)
 ORDER BY length(a.code), a.code LIMIT $5)
UNION ALL
(SELECT 'grid', NULL, g.code, g.name, g.street_code,
        ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)),
        ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom), 1
 FROM grid g
 WHERE $7 IN ('', 'grid') AND (g.code LIKE $6 OR g.name LIKE $1) AND g.code > $8
 ORDER BY g.code LIMIT $5)
UNION ALL
(SELECT 'enterprise', e.industry, e.credit_code, e.name, e.address,
        ST_X(e.geom), ST_Y(e.geom), NULL, NULL, NULL, NULL, 2
 FROM (SELECT * FROM enterprise e
       WHERE $3 AND $7 IN ('', 'enterprise') AND (e.credit_code = $4 OR ($9 AND e.name LIKE $1))
         AND e.credit_code > $8
       LIMIT $10) e
 ORDER BY e.credit_code LIMIT $5)
UNION ALL
(SELECT 'house', h.use, h.code, h.address, h.grid_code,
        ST_X(h.geom), ST_Y(h.geom), NULL, NULL, NULL, NULL, 3
 FROM (SELECT * FROM house h
       WHERE $3 AND $7 IN ('', 'house') AND (h.code = $2 OR ($9 AND h.address LIKE $1)) AND h.code > $8
       LIMIT $10) h
 ORDER BY h.code LIMIT $5)
) found
ORDER BY rank, CASE WHEN rank = 0 THEN length(code) END, code
