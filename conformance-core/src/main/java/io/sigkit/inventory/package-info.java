/**
 * The fleet inventory ({@code inventory.v1}): many payloads and their certify settings in one JSON or YAML file, read
 * the same way by {@code sigkit certify --inventory} and by the JUnit extension's fleet mode.
 */
package io.sigkit.inventory;
