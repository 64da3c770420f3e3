/**
 * Internal: the view model of report.html and the jte template classes generated from {@code src/main/jte}. Not API;
 * it may change in any release. Use {@link io.sigkit.reports.HtmlReport}.
 */
package io.sigkit.reports.internal;
