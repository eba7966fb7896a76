/** Per-document provenance decisions and corpus cleaning. */
package dev.hallmark.detector;
