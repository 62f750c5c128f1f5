-- The admin code of this platform (city, district or street): what it may import depends on its level.
SELECT code FROM platform_node
