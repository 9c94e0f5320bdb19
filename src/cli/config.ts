import { Command } from 'commander'
import { configPath, getConfigValue, loadConfig, setConfigValue } from '../config/config.js'
import { globalOptions } from './context.js'
import { say, writeOut } from './messages.js'

export function configCommand(): Command {
  const cmd = new Command('config').description("show or change the shop's settings (country, currency, time zone, sender)")
  cmd.addHelpText(
    'after',
    `
Keys: country (ISO code, default US), currency (ISO code, default USD), timezone (IANA, default UTC),
      sender.name, sender.street, sender.city, sender.region, sender.postal_code, sender.country,
      label_offset_x, label_offset_y (mm), date_format (mdy|dmy|ymd)
Example:
  $ crm config set country DE
  $ crm config get currency`,
  )
  cmd
    .command('get')
    .description('print one setting, or all of them as JSON')
    .argument('[key]', 'setting name, e.g. country or sender.city')
    .addHelpText('after', '\nExample:\n  $ crm config get timezone')
    .action(async (key: string | undefined, _o, sub: Command) => {
      globalOptions(sub)
      const config = loadConfig()
      const value = key ? getConfigValue(config, key) : config
      await writeOut(typeof value === 'string' ? value + '\n' : JSON.stringify(value, null, 2) + '\n')
    })
  cmd
    .command('set')
    .description('change one setting')
    .argument('<key>', 'setting name')
    .argument('<value>', 'new value')
    .addHelpText('after', '\nExample:\n  $ crm config set timezone Europe/Berlin')
    .action(async (key: string, value: string, _o, sub: Command) => {
      globalOptions(sub)
      setConfigValue(key, value)
      say(`${key} set in ${configPath()}`)
    })
  cmd
    .command('path')
    .description('print where the config file lives')
    .addHelpText('after', '\nExample:\n  $ crm config path')
    .action(async () => {
      await writeOut(configPath() + '\n')
    })
  return cmd
}
