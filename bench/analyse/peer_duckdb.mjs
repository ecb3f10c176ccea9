// bench/analyse/peer_duckdb.mjs — the DuckDB peer of the `trellis analyse` benchmark.
// Computes the core figures of DESIGN.md "Analysis semantics" for every subject × competency
// (self; others mean, n and anonymous n, with others.mean null below min_group anonymous
// raters; each group's rater-weighted mean and n, before any suppression) from the same ratings
// CSV, in SQL: read_csv with explicit types, a join to the framework's item → competency map,
// two GROUP BYs, COPY … TO a CSV. DuckDB uses all cores by default.
//
// usage: node bench/analyse/peer_duckdb.mjs --framework F.json --ratings R.csv --out OUT.csv
//                                           [--min-group 3]
import { readFileSync, openSync, readSync, closeSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const GROUPS = ['manager', 'peer', 'direct_report', 'partner', 'community', 'other'];

function parseArgs(argv) {
  const args = { minGroup: 3 };
  for (let i = 0; i < argv.length; i++) {
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value after ${argv[i]}`);
      return argv[++i];
    };
    switch (argv[i]) {
      case '--framework': args.framework = next(); break;
      case '--ratings': args.ratings = next(); break;
      case '--out': args.out = next(); break;
      case '--min-group': args.minGroup = Number.parseInt(next(), 10); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!args.framework || !args.ratings || !args.out || !(args.minGroup >= 1)) {
    throw new Error('usage: peer_duckdb.mjs --framework F --ratings R --out O [--min-group N]');
  }
  return args;
}

// SQL string literal.
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

// The CSV header, so the optional `comment` column is typed only when present.
function readHeader(path) {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const got = readSync(fd, buf, 0, buf.length, 0);
    const line = buf.subarray(0, got).toString('utf8').split(/\r?\n/)[0].replace(/^\uFEFF/, '');
    return line.split(',').map((c) => c.trim());
  } finally {
    closeSync(fd);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const framework = JSON.parse(readFileSync(args.framework, 'utf8'));
  const itemMap = [];
  for (const d of framework.domains) {
    for (const c of d.competencies) {
      for (const it of c.items) itemMap.push(`(${lit(it.code)}, ${lit(c.code)})`);
    }
  }

  const types = { subject: 'VARCHAR', rater: 'VARCHAR', group: 'VARCHAR', item: 'VARCHAR',
                  score: 'TINYINT', comment: 'VARCHAR' };
  const header = readHeader(args.ratings);
  for (const required of ['subject', 'rater', 'group', 'item', 'score']) {
    if (!header.includes(required)) throw new Error(`${args.ratings}: missing column '${required}'`);
  }
  const columns = header.map((c) => `${lit(c)}: ${lit(types[c] ?? 'VARCHAR')}`).join(', ');

  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',  // never download anything
  });
  const con = await instance.connect();
  await con.run('CREATE TEMP TABLE item_map (item VARCHAR PRIMARY KEY, competency VARCHAR NOT NULL)');
  await con.run(`INSERT INTO item_map VALUES ${itemMap.join(', ')}`);

  const groupCols = GROUPS.map((g) =>
    `avg(score) FILTER (WHERE NOT is_self AND grp = ${lit(g)}) AS ${g}_mean,
     count(*) FILTER (WHERE NOT is_self AND grp = ${lit(g)}) AS ${g}_n`).join(',\n    ');
  const sql = `
COPY (
  WITH ratings AS (
    SELECT subject, rater, "group", item, score
    FROM read_csv(${lit(args.ratings)}, header = true, auto_detect = false, delim = ',',
                  quote = '"', escape = '"', columns = {${columns}})
  ),
  -- DESIGN rule 1: a rater's score on a competency is the mean of their non-empty item scores.
  rater_scores AS (
    SELECT r.subject, r.rater, r."group" AS grp, m.competency, avg(r.score) AS score,
           r.rater = r.subject AS is_self
    FROM ratings r JOIN item_map m USING (item)
    WHERE r.score IS NOT NULL
    GROUP BY r.subject, r.rater, r."group", m.competency
  )
  SELECT
    subject, competency,
    max(score) FILTER (WHERE is_self) AS self,
    CASE WHEN count(*) FILTER (WHERE NOT is_self AND grp NOT IN ('self', 'manager'))
              >= ${args.minGroup}
         THEN avg(score) FILTER (WHERE NOT is_self) END AS others_mean,
    count(*) FILTER (WHERE NOT is_self) AS others_n,
    count(*) FILTER (WHERE NOT is_self AND grp NOT IN ('self', 'manager')) AS anonymous_n,
    ${groupCols}
  FROM rater_scores
  GROUP BY subject, competency
  ORDER BY subject, competency
) TO ${lit(args.out)} (FORMAT csv, HEADER true)`;
  await con.run(sql);
  con.disconnectSync();
}

main().catch((err) => {
  console.error(`peer_duckdb: ${err.message}`);
  process.exit(1);
});
