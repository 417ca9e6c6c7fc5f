/** Strategies side by side: the same split, the same budget, several seeds, mean and interval of each figure. */
package dev.graft.compare;
