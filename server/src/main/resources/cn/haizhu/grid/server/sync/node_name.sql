-- The name of this node's area ($1: its code), where this node holds it.
SELECT name FROM admin_area WHERE code = $1
