import { z } from 'zod'
import { UsageError } from '../errors.js'

export const WHERE_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', '~', 'is empty', 'is not empty'] as const
export type WhereOperator = (typeof WHERE_OPERATORS)[number]

/**
 * One `--where` condition as written, before the field's type is known: what a saved
 * segment keeps. The value is the text after the operator (quotes removed).
 */
export const WhereClause = z
  .object({
    field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/),
    op: z.enum(WHERE_OPERATORS),
    value: z.string().optional(),
  })
  .strict()
export type WhereClause = z.infer<typeof WhereClause>

type Token = { kind: 'name'; text: string } | { kind: 'op'; text: WhereOperator } | { kind: 'value'; text: string }

const fail = (input: string, why: string): never => {
  throw new UsageError(`--where "${input}": ${why} (e.g. --where "children>=2", --where "income_band=high", --where "loyalty_no is empty")`)
}

/**
 * Splits `NAME OP VALUE` or `NAME is [not] empty`. The value is everything after the
 * operator, trimmed, or one quoted string ('…' or "…", a doubled quote inside stands for
 * one). Nothing here becomes SQL: the name is looked up among the defined fields and the
 * value is parsed by the field's type and bound as a parameter.
 */
function tokenize(input: string): Token[] {
  let i = 0
  const s = input
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++
  }
  skipSpace()
  const name = /^[A-Za-z][A-Za-z0-9_]*/.exec(s.slice(i))
  if (!name) fail(input, 'expected a field name first')
  i += name![0].length
  const tokens: Token[] = [{ kind: 'name', text: name![0] }]
  skipSpace()
  const word = /^is\s+(not\s+)?empty\s*$/i.exec(s.slice(i))
  if (word) {
    tokens.push({ kind: 'op', text: word[1] ? 'is not empty' : 'is empty' })
    return tokens
  }
  const op = /^(<=|>=|!=|<>|==|=|<|>|~)/.exec(s.slice(i))
  if (!op) fail(input, `expected an operator after "${name![0]}": = != < <= > >= ~ or "is empty"`)
  const text = op![1] === '<>' ? '!=' : op![1] === '==' ? '=' : op![1]!
  tokens.push({ kind: 'op', text: text as WhereOperator })
  i += op![1]!.length
  skipSpace()
  const rest = s.slice(i)
  const quote = rest[0]
  if (quote === '"' || quote === "'") {
    let value = ''
    let j = 1
    for (;;) {
      if (j >= rest.length) fail(input, 'the quoted value has no closing quote')
      if (rest[j] === quote) {
        if (rest[j + 1] === quote) {
          value += quote
          j += 2
          continue
        }
        break
      }
      value += rest[j]
      j++
    }
    if (rest.slice(j + 1).trim() !== '') fail(input, 'text after the closing quote')
    tokens.push({ kind: 'value', text: value })
    return tokens
  }
  const value = rest.trim()
  if (value === '') fail(input, `no value after ${text} (to find customers without a value: "${name![0]} is empty")`)
  tokens.push({ kind: 'value', text: value })
  return tokens
}

/** Parses one `--where` text into a clause; a usage error (exit 2) says what is wrong. */
export function parseWhere(input: string): WhereClause {
  if (input.length > 1000) fail(input.slice(0, 40) + '…', 'longer than 1000 characters')
  const tokens = tokenize(input)
  const [name, op, value] = tokens as [Token, Token, Token | undefined]
  return value === undefined ? { field: name.text, op: op.text as WhereOperator } : { field: name.text, op: op.text as WhereOperator, value: value.text }
}

/** A clause written back as the text `--where` takes. */
export function whereText(c: WhereClause): string {
  if (c.value === undefined) return `${c.field} ${c.op}`
  const plain = /^[^\s'"][^'"]*$/.test(c.value) && c.value.trim() === c.value
  return `${c.field}${c.op}${plain ? c.value : `"${c.value.replace(/"/g, '""')}"`}`
}
