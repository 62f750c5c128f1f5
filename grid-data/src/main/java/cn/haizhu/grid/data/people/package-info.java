/** Personal data rules (PIPL art. 28/51): encryption at rest, keyed hashes for lookup, masking. */
package cn.haizhu.grid.data.people;
