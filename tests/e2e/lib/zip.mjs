// Reading a zip (the store packages of extension/package.mjs): every entry with the fields
// that make a package reproducible, and its bytes, checked against the entry's CRC.
import { crc32, inflateRawSync } from "node:zlib";

/** The entries of the zip in `buf`, in the central directory's order. */
export function readZip(buf) {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("no end of central directory");
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`entry ${i}: no central header`);
    const entry = {
      madeBy: buf.readUInt16LE(at + 4),
      flags: buf.readUInt16LE(at + 8),
      method: buf.readUInt16LE(at + 10),
      time: buf.readUInt16LE(at + 12),
      date: buf.readUInt16LE(at + 14),
      crc: buf.readUInt32LE(at + 16),
      extraLength: buf.readUInt16LE(at + 30),
      externalAttributes: buf.readUInt32LE(at + 38),
    };
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const commentLength = buf.readUInt16LE(at + 32);
    entry.name = buf.toString("utf8", at + 46, at + 46 + nameLength);
    const local = buf.readUInt32LE(at + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const body = buf.subarray(start, start + size);
    entry.data = entry.method === 8 ? inflateRawSync(body) : Buffer.from(body);
    if (crc32(entry.data) !== entry.crc) throw new Error(`${entry.name}: CRC mismatch`);
    entries.push(entry);
    at += 46 + nameLength + entry.extraLength + commentLength;
  }
  return entries;
}
