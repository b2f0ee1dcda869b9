// Starts s3rver on 127.0.0.1 on a free port over the directory given as the only argument,
// then prints "listening <port>" on stdout for the test fixture.
'use strict';
const S3rver = require('s3rver');

const directory = process.argv[2];
if (!directory) {
  console.error('usage: node serve.js <directory>');
  process.exit(2);
}

const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });

// s3rver 3.7 answers listings with the namespace "http://doc.s3.amazonaws.com/2006-03-01/"; S3 and MinIO use
// "http://s3.amazonaws.com/doc/2006-03-01/", and the Minio SDK only reads elements in the real one.
const wrongNamespace = 'xmlns="http://doc.s3.amazonaws.com/2006-03-01/"';
const s3Namespace = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
server.middleware.unshift(async (ctx, next) => {
  await next();
  if (typeof ctx.body === 'string' && ctx.body.includes(wrongNamespace)) {
    ctx.body = ctx.body.split(wrongNamespace).join(s3Namespace);
  }
});

server.run().then(
  ({ port }) => console.log(`listening ${port}`),
  (error) => {
    console.error(error);
    process.exit(1);
  });
