// `npm run bench`: each section measures and prints its own figures and targets in this run.
// Add a section by exporting `async () => boolean` (all targets met) and listing it here.
import { engineBench } from './engine';
import { operatorBench } from './operator';

const sections: Array<() => Promise<boolean>> = [engineBench, operatorBench];

let allMet = true;
for (const section of sections) allMet = (await section()) && allMet;
console.log(`\n${allMet ? 'All benchmark targets met.' : 'Some benchmark targets were missed (see above).'}`);
