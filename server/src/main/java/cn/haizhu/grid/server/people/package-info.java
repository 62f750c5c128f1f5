/** Persons over HTTP, masked by default; unmasked reads are permission-checked and audited. */
package cn.haizhu.grid.server.people;
