/**
 * The evidence content sniffer's public surface. The code lives in ./sniffer/, one file per format
 * (text, pdf, zip) plus what they share; this file keeps the import path the rest of the API uses.
 */
export * from './sniffer/index.js';
