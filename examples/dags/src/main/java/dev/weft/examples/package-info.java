/** The example DAGs: the user's supermarket scenarios (Airflow chapter 6) written with Weft's Java DSL. */
package dev.weft.examples;
