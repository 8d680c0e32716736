/** Bump on any change that can move a score, band or label, so stored results stay reproducible. */
export const ENGINE_VERSION = '1.0.0';
