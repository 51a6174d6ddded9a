package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Security;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class Sig0ConfigTest {

  @Test
  void defaultsAreBindsWindowAndAnUnregisteredBouncyCastle() {
    Sig0Config c = Sig0Config.defaults();
    assertThat(c.signBefore()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.signAfter()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.skew()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.provider().getName()).isEqualTo("BC");
    // Held, never registered JVM-wide.
    assertThat(Security.getProvider("BC")).isNull();
  }

  @Test
  void invalidDurationsAreRefusedByName() {
    assertThatThrownBy(() -> Sig0Config.builder().skew(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skew");
    assertThatThrownBy(() -> Sig0Config.builder().skew(Duration.ofMillis(1500)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> Sig0Config.builder().signingWindow(Duration.ZERO, Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }
}
