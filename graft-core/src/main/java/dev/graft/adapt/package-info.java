/** Strategies and the {@link dev.graft.adapt.FineTunePlan} they produce: which layer groups train, and how fast. */
package dev.graft.adapt;
