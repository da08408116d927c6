/**
 * The one grammar of Kubernetes quantities (000:6302-6305, 000:5897-5898): a signed decimal
 * number with a decimal suffix (m k M G T P E), a binary suffix (Ki … Ei) or an exponent.
 * Upper-case `K` is not a suffix (the apiserver only knows `k`). `@bosun/quantity` parses it
 * exactly; schemas use QUANTITY to refuse a malformed string at the edge.
 */
const NUMBER = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
const SUFFIX = String.raw`(?:(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+))?`;

/** Groups: 1 sign, 2 number, 3 suffix, 4 exponent. */
export const QUANTITY_FORMAT = new RegExp(`^([+-]?)${NUMBER}${SUFFIX}$`);
/** A quantity that cannot be negative (requests, limits, sizes). */
export const QUANTITY = new RegExp(`^[+]?${NUMBER}${SUFFIX}$`);
