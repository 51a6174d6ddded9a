/**
 * Micrometer meters for hosts that run zonecut's receivers and scanner: {@link
 * io.github.zonecut.cli.metrics.ZonecutMetrics} turns the library's event listeners (UPDATE,
 * NOTIFY, scan results and scan progress) into counters, timers and gauges, and {@link
 * io.github.zonecut.cli.metrics.PrometheusEndpoint} serves them in the Prometheus text format.
 * The library modules do not depend on Micrometer; this package is the bridge a host can reuse.
 */
@NullMarked
package io.github.zonecut.cli.metrics;

import org.jspecify.annotations.NullMarked;
