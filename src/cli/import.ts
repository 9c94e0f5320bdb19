import { Command } from 'commander'

export function importCommand(): Command {
  return new Command('import')
    .description('import customers, purchases, contacts or NPS answers from a CSV file')
    .argument('<file>', 'CSV or TSV file')
    .addHelpText('after', '\nExample:\n  $ crm import contacts.csv')
    .action(async () => {
      throw new Error('not yet')
    })
}
