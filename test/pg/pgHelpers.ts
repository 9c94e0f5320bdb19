import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll } from 'vitest'

/**
 * The server the PostgreSQL suite runs against. Without it the suite fails at once:
 * `npm run test:pg` must never pass by skipping everything.
 */
export const PG_URL = process.env.CRM_TEST_PG_URL ?? ''
if (!PG_URL) {
  throw new Error('CRM_TEST_PG_URL is not set: npm run test:pg needs a PostgreSQL server, e.g. CRM_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/postgres')
}

const made: string[] = []

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A new, empty database on the test server; its URL. Dropped when the file's tests end. */
export async function freshDatabase(): Promise<string> {
  const name = `crm_test_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`create database ${name}`))
  made.push(name)
  const url = new URL(PG_URL)
  url.pathname = `/${name}`
  return url.toString()
}

afterAll(async () => {
  await admin(async (c) => {
    for (const name of made.splice(0)) await c.query(`drop database if exists ${name} with (force)`)
  })
})

/** Rows straight from a PostgreSQL database, bypassing crm. */
export async function queryPg<T extends Record<string, unknown> = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(text, params)).rows
  } finally {
    await client.end()
  }
}
