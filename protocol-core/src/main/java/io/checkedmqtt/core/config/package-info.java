/**
 * The broker's protocol settings as one immutable value ({@link
 * io.checkedmqtt.core.config.BrokerConfig}), built with named settings over the defaults
 * ({@code BrokerConfig.builder()}). The shell builds it from the command line and the config
 * file; sessions and the broker core only read it.
 */
package io.checkedmqtt.core.config;
