package dev.barrage.runs;

/** Order of admission when runs wait for a slot. */
public enum Priority { HIGH, NORMAL, LOW }
