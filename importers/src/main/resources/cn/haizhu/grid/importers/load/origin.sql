-- This platform's origin, once per load (as a column default it was a function call per row).
SELECT gridctl_origin()
