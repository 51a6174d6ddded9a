package io.github.zonecut.sig0.internal;

/**
 * Fixed keys and Bouncy Castle 1.87 signatures over {@link #MESSAGE}, for the known-answer test
 * a provider passes before zonecut uses it. Test keys only: they sign nothing else.
 */
final class KnownAnswers {
  private KnownAnswers() {}

  static final String MESSAGE = "zonecut SIG(0) provider known-answer test";

  /** One test: the PKCS#8 private key, the X.509 public key, a JCA-form signature (base64). */
  record Vector(int alg, String pkcs8, String spki, String signature) {}

  private static final String RSA_PKCS8 =
          "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCghIZbIrZkDHjj3I31gSLSar2EGg6dwE0gKN4A"
          + "a/xcWqe1AdG6W9Td1gwiCpHQsqBvQAio2U51UQGFVH8/czhMlcDtI50J+X3EqsXkVdgyiKXKNkd3Sx2onZML3VdT"
          + "/frIAHjKnitdjUyroGcUQ0sYhIKeg5947Po7LGb1nV1d7BvUucubPpvq2lRoxr1SYV67Ml6zoPihRkdY6iUskQlK"
          + "sZ64EU+Idw2wIJ8UiSpnNMniNlUmz0GXmlYvmLQ2qEbi/ouGGjjt/k4brxwM4JDNnohyV/SuXKboyahrJ9vrW/4o"
          + "ef8OtBr0EBht5JR/zTeQZx/vrnh5emtm7MOsL0aTAgMBAAECggEAEbqhdlZuq70+6vf0y/1v4aq9dOZF4AGZ4yfw"
          + "YT6MGI1AwbrKNdmnuLrIC0h8k37vPmplqnSZ+FYyo03SYikxOjA+J1MMKMpgLEUqZ05d+zLhkOSO3yuyQmnpEGHp"
          + "n9LJDKcUsFho9MPDCJ/GUtQd6r7UCHsENaCDAN8mHhG7+sAJAwAlT6gITSAUtTDdDQ2Im8xG8uATIf3y8+P940z6"
          + "gYYzEtQv7hxsTxU7ZsFNvLEP9FqqYL6VKt1N0H0/n/cHdfZmyi4viT23ydzPcOw3kNMdLrkjAnsfobu7FJbw0Bqk"
          + "CJmvk/32OCioj1f4pf59IYAL6icqO9W50Z0bjkZFpQKBgQDRjtJ/FQ9PI7Y66INy5tpm+c2vVB1Imy7h7SqjerPB"
          + "s50OiDG9eJWr3zqtC/Mt1YV9T2Vs84sb9kFNASbANWnI4x/7knWs2rdXlMNChpzpfmS4cFbd2zbDSqqpt85ss3aH"
          + "0wyOCRTlSRH3WPSUu6XpvKVak+6qIoQjJdJMTFTAjQKBgQDEF20q5c2wpau8Xx853xoNFl1/N19mvf52/GqeB9hM"
          + "wOlcEtQILOdconXsO+CuSR6ywAcdls5zWZKWowdEJ8U5KLRulKG1z2903u1cFtGq/HG+iuV+vrOUr1BkCCPAawmw"
          + "txWMsJ4Ec4ZV2TPVC3cRkCpVt5fUCKB1y1XyWQQrnwKBgQDJyA12ItAv8wIobPUNsa6BU24zsfnUjOCy2Qyih6cJ"
          + "ECtd79R9TdxIt9UnBYeuDZjRFZ9jLos3bIJqZH5su8HVlqWYNumqfJvn8C2oJDh5OKRBWKK8U7XCjGYSsBNLZe7v"
          + "UFAZgDMnqJltI7G2eY2DqItL0YARQNUdhvCdWS6OjQKBgFc1wASTHc7Rb7aga4fWdISbjMuWeeR83V5X1qcgAA/q"
          + "wB6F9S0Jo4AsdNuyqbN5q6B+DOwY9QqSLMK4EPQ759gLBWwkyGLOtdg5iUEqmOc9zOycY4LiF4YqDkve3t+l+zJP"
          + "ytK+fhimtHkb15SJu9Pg1SM4Ots/VvXsj/Xvpw4rAoGAf1/s0ebz2s+2k4S26bFWA0F9LLWsChGyeVlmKozMGw6T"
          + "meJCWLZwpAMZEvUjpPC6G9FBd9CjDcvIYhMVb6RdbewT3S8H7aHORcqVpLpTcvN2O73lk+7EEmI1aDb257lJ1BHG"
          + "yDz7aLxWHjgDkhtG4iLKmyZdaXdIv5yWztpXTTc=";
  private static final String RSA_SPKI =
          "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoISGWyK2ZAx449yN9YEi0mq9hBoOncBNICjeAGv8XFqn"
          + "tQHRulvU3dYMIgqR0LKgb0AIqNlOdVEBhVR/P3M4TJXA7SOdCfl9xKrF5FXYMoilyjZHd0sdqJ2TC91XU/36yAB4"
          + "yp4rXY1Mq6BnFENLGISCnoOfeOz6Oyxm9Z1dXewb1LnLmz6b6tpUaMa9UmFeuzJes6D4oUZHWOolLJEJSrGeuBFP"
          + "iHcNsCCfFIkqZzTJ4jZVJs9Bl5pWL5i0NqhG4v6Lhho47f5OG68cDOCQzZ6Iclf0rlym6Mmoayfb61v+KHn/DrQa"
          + "9BAYbeSUf803kGcf7654eXprZuzDrC9GkwIDAQAB";

  static Vector forAlgorithm(int alg) {
    switch (alg) {
      case 8:
        return new Vector(8, RSA_PKCS8, RSA_SPKI,
            "iwx/F7h6UFRfoIic8FLxKv4Qcnb9VKIgwOQUByHTpbh9vwSQbgFbhlFd2btKphLqu6kyj956TevxUyWLqvh3pNc9"
            + "zOuMYvmoTzPyhg6bPrzr1j0vr94yTNXVPFJdPA9YtZOgKhIakmMd+nPaC7nwjoxSHR51xvQcfPPtleLD2xDB34HJ"
            + "RgLKgnw8g6JAoxtvxtf8kGEllOL8DiVCS60xxUhzTEBRlidqPw7yB3ixV9BjYUpiz8HnuqdWT6Zw0hl8ZnoXAlXM"
            + "QD4bx0mTYaGPc3TW9ghjiwOTtyXiXnZgues9MjZzaYiNF/OtGw5/sDJvi1Xjxf35m92FmJ/lLueMRg==");
      case 10:
        return new Vector(10, RSA_PKCS8, RSA_SPKI,
            "O8vflniUKhVIklhx6mCq/DFVSSXb8GIa9IcUzr/stcJWaiCvhKLfCTarTPtzSxQ46+EhVif4Tj0zqX908ELMwzwy"
            + "bJnlbpmsPIJEOUW80jxUY2bdS2eWdX7haBHt6zYzrg7XtZetnUfRGPM7dKBwsTB3T0atP25zRrpnOTGpytKCEqkA"
            + "zrZbfQn45PkxHgrpo5YzDSxWfX3z8GJi5cdvhVicUBAsZ2YXOaL+MdniidqtXA2DcCcSyHwBGs6ZbBWKB4y3NWw9"
            + "jYNT8+amW7Abh16Sn4Dxq4VX+cCImoLTJd/LxvuciyP6xtWnS6uxgHfMWbegVnYxhLg61lXr2tKlcw==");
      case 13:
        return new Vector(13,
            "MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg0LyoMqcQbdK+0ZNPjhrUk9OhSEDaUNRrgRh/D1nA"
            + "IKmgCgYIKoZIzj0DAQehRANCAATdlRtdp5nmgtuU7zr+kEG3zXUylUa6/YePSKSBaGcgZdX/diF9HI9FnyIxsUzG"
            + "ZoRX6XR0CY4Qgt5RXC/h9kXm",
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE3ZUbXaeZ5oLblO86/pBBt811MpVGuv2Hj0ikgWhnIGXV/3YhfRyP"
            + "RZ8iMbFMxmaEV+l0dAmOEILeUVwv4fZF5g==",
            "MEUCIQDumsS6iLdXb+wR6UcO9AGflY1ygxBzll3ZffeUK/0l0QIgIBJ/kC+srZ/9nnF4dtM0A0HLN5ndm8NCgG2N"
            + "DneRfg0=");
      case 14:
        return new Vector(14,
            "MIG/AgEAMBAGByqGSM49AgEGBSuBBAAiBIGnMIGkAgEBBDDF/qs0Y0lKw9Vdd36n1Hjhn58+C+nHXF9dWuL11rNl"
            + "U/hyrhNH+0Cr9yXOt3+8xfKgBwYFK4EEACKhZANiAASTty6lPiOQ27xbEu5Fs+zKUM/K+9hLNz5RJckSVarBKTQg"
            + "eb6CFFP1WCvn5foNTqQyXC+KXXQjOeLUTHjdmrLnqSWC4hlmaLBSddFH0f0M36cbGMK+IjYEAVsI+QF96Ow=",
            "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEk7cupT4jkNu8WxLuRbPsylDPyvvYSzc+USXJElWqwSk0IHm+ghRT9Vgr"
            + "5+X6DU6kMlwvil10Izni1Ex43Zqy56klguIZZmiwUnXRR9H9DN+nGxjCviI2BAFbCPkBfejs",
            "MGYCMQD8i5zgw1J9hHUWdp1pFVAMqjhXFc9bQiPHa2lfxGCbLAM87uMNtS0HVgRLWtIZ0toCMQD1W+UEjJejZ+mj"
            + "eHmekPEg9gyHgZV/XA0TvEOagP4jVyBxc7SNwSL27noZ+TDFlDI=");
      case 15:
        return new Vector(15,
            "MFECAQEwBQYDK2VwBCIEIERxLKQ782eY4ecq54bTte00O0H0u/LNJjwREf3lbBCWgSEAWt/AJp7J6tbIqf35R2oF"
            + "Szr7p2IAdM8erY0H/MYoNr4=",
            "MCowBQYDK2VwAyEAWt/AJp7J6tbIqf35R2oFSzr7p2IAdM8erY0H/MYoNr4=",
            "oiwHRpVtZB45DeYFcpFRoMrsmyoNxOsiGAy453q/V40MZPj1BZvDJI6UOVJJj4jyzT9cLFdjU0zApHMdVG0bAQ==");
      case 16:
        return new Vector(16,
            "MIGDAgEBMAUGAytlcQQ7BDn1Bw/itD7TdsrCXoZgwOo/YSkbRKbBA4UZ1VcPbsOIfe6nkDEdTxftBXUWFO9IvT/b"
            + "ODj+mds0YLyBOgAHhsFdkREAnw+QzlCjzLEo+ajRmP2ycqEgWy4Q41UpH0Eb7K/OAV3Hw6bqkXYOTPGphg0a/rY+"
            + "n4A=",
            "MEMwBQYDK2VxAzoAB4bBXZERAJ8PkM5Qo8yxKPmo0Zj9snKhIFsuEONVKR9BG+yvzgFdx8Om6pF2DkzxqYYNGv62"
            + "Pp+A",
            "Luw/RcDtwHWP/gtpQNwXpu43MXn287tSFd0c7/HmkLQafx7bWJEkWgqETGrgUIM2q626/YID0rAAXTtcu6hJ6MZD"
            + "m85QxcKdmrLpy67JWvOgZBaiDhJ0gkhaCbHmRdrE4O/HtWPUUltwoQIaKXaOLz0A");
      default:
        throw new IllegalArgumentException("no known-answer test for algorithm " + alg);
    }
  }
}
