// Mapbox Vector Tile decoding for the map wall's tile renderer (wall/vectortiles.js).
export { VectorTile } from '@mapbox/vector-tile';
export { PbfReader } from 'pbf';
