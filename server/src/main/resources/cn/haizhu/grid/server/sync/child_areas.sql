-- The areas directly below this node that may have a link to it, in the caller's scope (row-level
-- security): at a district its streets, at a city its districts. $1 the node's code, $2 their level.
SELECT code, name FROM admin_area WHERE parent_code = $1 AND level = $2 ORDER BY code
