-- How many grids grids.sql pages through.
SELECT count(*) FROM grid g WHERE ($1::text IS NULL OR g.street_code = $1) AND ($2::text IS NULL OR g.community_code = $2)
