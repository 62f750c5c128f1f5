-- The SQL expressions that give a row of the table its map layer (V5) and its street (V26).
SELECT tile_layer_of(?), (tile_scope_of(?))[1]
