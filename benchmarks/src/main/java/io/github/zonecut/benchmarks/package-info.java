/** JMH benchmarks; each names its baseline, measured in the same run. */
@NullMarked
package io.github.zonecut.benchmarks;

import org.jspecify.annotations.NullMarked;
