/**
 * The JSON records of Weft's REST API: Airflow's stable REST API v1 shapes (field names in snake_case, dates as
 * ISO-8601 strings with a {@code +00:00} offset), and the few Weft-only shapes served under {@code /api/v1/weft}.
 * Request records list only the fields a client may send, so anything else is an unknown field.
 */
package dev.weft.api.model;
