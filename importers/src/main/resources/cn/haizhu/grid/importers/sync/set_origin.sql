-- The origin this session's writes record (gridctl_origin()); an empty value goes back to the node's own code.
SELECT set_config('gridctl.origin', ?, false)
