// A deterministic synthetic patent corpus for benchmarks: N utility grants with titles,
// abstracts, claims, dates, assignees and CPC symbols, as INSERT statements for D1/SQLite.
// The same seed gives the same rows. Every 10,000th document mentions "zeolite" (a selective
// term: 0.01 % of documents); every 100th, "catalyst".

const words = (
  "apparatus method system device circuit signal layer substrate semiconductor wireless network memory controller " +
  "sensor optical fiber battery electrode polymer composition compound vehicle engine valve pump housing assembly " +
  "module interface protocol channel antenna frequency display panel pixel image camera lens light source laser " +
  "beam coating film surface structure frame member support wall plate shaft gear motor rotor stator coil magnetic " +
  "field power supply converter voltage current resistor capacitor transistor gate drain channel oxide metal alloy " +
  "fluid flow chamber nozzle spray heat exchanger thermal cooling heating medical implant catheter stent drug dose " +
  "protein antibody cell culture sequence genetic sample analysis data processing storage cloud server client " +
  "request response encryption key authentication user account payment transaction ledger block chain vehicle brake"
).split(" ");
const cpcPool = ["H01L21/02", "H01L23/00", "G06F3/01", "G06F16/00", "H04W72/04", "H04L9/32", "A61K31/00", "A61B5/00",
  "B60W30/00", "C07D401/00", "G01N33/00", "H02J7/00", "F16H57/00", "B01J29/00", "C01B39/00", "Y02E10/50"];

// xorshift32: small, fast and reproducible.
function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const pad = (n) => String(n).padStart(2, "0");

function dateFrom(dayIndex) {
  const date = new Date(Date.UTC(2000, 0, 1) + dayIndex * 86400000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

// Yields { table, sql } INSERT statements of up to `rowsPerStatement` rows, table by table per chunk.
export function* syntheticStatements({ count, seed = 1, rowsPerStatement = 200, assignees = 10000 }) {
  const next = random(seed);
  const text = (n) => Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(" ");
  for (let i = 0; i < assignees; i += rowsPerStatement) {
    const rows = [];
    for (let a = i; a < Math.min(i + rowsPerStatement, assignees); a++)
      rows.push(`('ent_syn${a}', ${quote(`Synthetic Assignee ${a} Inc.`)}, ${quote(`SYNTHETIC ASSIGNEE ${a}`)}, 'US', 0)`);
    yield { table: "assignees", sql: `INSERT INTO assignees (id, name, normalized_name, country, created_at) VALUES ${rows.join(",")}` };
  }
  for (let start = 0; start < count; start += rowsPerStatement) {
    const patents = [], texts = [], owners = [], classes = [];
    for (let i = start; i < Math.min(start + rowsPerStatement, count); i++) {
      const number = String(20000000 + i);  // clear of real US numbers, which end below 13 million
      const granted = Math.floor(next() * 9000);
      const title = text(6) + (i % 10000 === 0 ? " zeolite" : "") + (i % 100 === 0 ? " catalyst" : "");
      patents.push(`(${quote(number)}, 'B2', 'grant', ${quote(title)}, ${quote(dateFrom(Math.max(0, granted - 900)))}, ` +
        `${quote(dateFrom(granted))}, ${quote(dateFrom(granted))}, 20, 0)`);
      texts.push(`(${quote(number)}, ${quote(title)}, ${quote(text(20))}, ${quote(text(30))})`);
      const assignee = Math.floor(next() * assignees);
      owners.push(`(${quote(number)}, 'ent_syn${assignee}', 0, ${quote(`Synthetic Assignee ${assignee} Inc.`)})`);
      classes.push(`(${quote(number)}, ${quote(cpcPool[Math.floor(next() * cpcPool.length)])}, 0)`);
    }
    yield { table: "patents", sql: "INSERT INTO patents (number, kind, document_type, title, filing_date, publication_date, " +
      `grant_date, claims_count, updated_at) VALUES ${patents.join(",")}` };
    yield { table: "patent_text", sql: `INSERT INTO patent_text (number, title, abstract, claims) VALUES ${texts.join(",")}` };
    yield { table: "patent_assignees", sql: `INSERT INTO patent_assignees VALUES ${owners.join(",")}` };
    yield { table: "patent_cpc", sql: `INSERT INTO patent_cpc VALUES ${classes.join(",")}` };
  }
}
