// Entry of the bundle: dist/cli.js.
import { main } from './main.ts';

await main(process.argv);
