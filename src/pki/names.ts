import type { Name } from '@peculiar/asn1-x509';
import { NAME_ATTRIBUTES } from './oids';
import { displaySafe } from './text';

/** A distinguished name, ready to show and to compare. */
export interface DistinguishedName {
  /** RFC 4514 order (most specific first), escaped for display: `CN=vpn, O=Example, C=JP`. */
  readonly text: string;
  /** Comparison key after RFC 5280 §7.1-style folding: case and inner spaces ignored. */
  readonly key: string;
  readonly attributes: ReadonlyArray<{ readonly type: string; readonly value: string }>;
}

export function fromAsnName(name: Name): DistinguishedName {
  const attributes: Array<{ type: string; value: string }> = [];
  const keyParts: string[] = [];
  for (const rdn of name) {
    const rdnKey: string[] = [];
    for (const atv of rdn) {
      const type = NAME_ATTRIBUTES[atv.type] ?? atv.type;
      const value = attributeValueText(atv.value);
      attributes.push({ type, value });
      rdnKey.push(`${atv.type}=${fold(value)}`);
    }
    keyParts.push(rdnKey.sort().join('+'));
  }
  const text = [...attributes]
    .reverse()
    .map((a) => `${a.type}=${escapeValue(displaySafe(a.value))}`)
    .join(', ');
  return { text: text || '(empty)', key: keyParts.join('/'), attributes };
}

function attributeValueText(value: { toString(): string; anyValue?: ArrayBuffer }): string {
  try {
    if (value.anyValue) return `#${Buffer.from(value.anyValue).toString('hex')}`;
    return value.toString();
  } catch {
    return '(unreadable value)';
  }
}

function fold(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function escapeValue(v: string): string {
  return v.replace(/([,+"<>;=])/g, '\\$1');
}

/** The first value of an attribute (e.g. `CN`), or undefined. */
export function attribute(dn: DistinguishedName, type: string): string | undefined {
  return dn.attributes.find((a) => a.type === type)?.value;
}

export function attributes(dn: DistinguishedName, type: string): string[] {
  return dn.attributes.filter((a) => a.type === type).map((a) => a.value);
}

/** A short label for people: the CN, else O, else the whole name. */
export function shortName(dn: DistinguishedName): string {
  const cn = attribute(dn, 'CN') ?? attribute(dn, 'O') ?? attribute(dn, 'OU');
  return cn !== undefined ? displaySafe(cn, 120) : dn.text;
}
