/**
 * Self-contained HTML reports (no network, no outside scripts): {@link dev.graft.report.HtmlReport}
 * renders a strategy comparison ({@code graft compare}) or a single fit: tables, learning curves
 * with stage boundaries, confusion matrix, per-class metrics, the advisor's reasoning, plans and
 * provenance. The charts are drawn with XChart and inlined as SVG.
 */
package dev.graft.report;
