/**
 * Getting texts in: file ingest (JSONL, CSV) and the row parser shared with {@code POST
 * /api/texts}.
 */
package io.distillery.common.ingest;
