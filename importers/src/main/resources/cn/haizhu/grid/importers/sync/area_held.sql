-- Whether this node already holds its own area, the root of its area tree (parameter: the node's code).
SELECT EXISTS (SELECT 1 FROM admin_area WHERE code = ?)
