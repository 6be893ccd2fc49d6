/** Weft's benchmark: scenarios against PostgreSQL, printed as one table. */
package dev.weft.bench;
