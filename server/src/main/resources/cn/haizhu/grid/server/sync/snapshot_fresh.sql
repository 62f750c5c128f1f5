-- Whether this node holds no grid, house, person or enterprise yet: a first snapshot then loads them
-- as a first import does (indexes and constraints built once afterwards).
SELECT NOT EXISTS (SELECT 1 FROM grid) AND NOT EXISTS (SELECT 1 FROM house)
   AND NOT EXISTS (SELECT 1 FROM person) AND NOT EXISTS (SELECT 1 FROM enterprise)
