-- The name this node's own area has in its area tree, if it holds it (? the node's code).
SELECT name FROM admin_area WHERE code = ?
