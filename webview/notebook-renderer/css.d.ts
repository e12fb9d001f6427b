/** CSS imported as text (esbuild's text loader): notebook renderers inject their own styles. */
declare module '*.css' {
  const text: string;
  export default text;
}
